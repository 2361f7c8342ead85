"""HR API URLs (under /api/v1/hr/)."""

urlpatterns: list = []
