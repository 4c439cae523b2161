"""Documents of an agency (Django app): outgoing drafts through review, approval, signing,
numbering in registers, sealing and issuing; incoming registration and handling. Every
state change is one service function driven by a transition table (data)."""
