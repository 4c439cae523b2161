"""Hub routes, mounted at /hub/ when the process serves the hub role."""

urlpatterns: list = []
