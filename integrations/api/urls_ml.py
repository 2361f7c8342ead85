"""The models as a service (under /api/v1/ml/)."""

urlpatterns: list = []
