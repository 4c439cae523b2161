"""Django's SQLite backend, with the database file private to the system's user (:mod:`.base`)."""
