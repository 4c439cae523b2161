"""Documents of an agency (Django app): outgoing drafts through review, approval, signing,
numbering in registers, sealing and issuing; incoming registration and handling. Every
state change is one service function driven by a transition table (data).

The pages (:mod:`vanban.web`) and the demo use the modules in ``PUBLIC_MODULES``; the
registry reaches the connector only through :mod:`vanban.connector`'s names."""

PUBLIC_MODULES = (
    "models",
    "services",
    "queries",
    "states",
    "errors",
    "exports",
    "slips",
    "notify",
    "reads",
    "transitions",
    "setup",
    "flow",
    "keys",
)
