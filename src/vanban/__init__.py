"""vanban: electronic official documents for Vietnamese state agencies.

Pure libraries (``vanban.edxml``, ``vanban.signing``, ``vanban.digitize``,
``vanban.textsearch``) never import Django; the Django apps (``directory``,
``registry``, ``exchange``, ``connector``, ``reports``, ``records``, ``audit``,
``web``, ``api``) hold state and rules; ``vanban.cli`` is the ``vanban`` command.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
