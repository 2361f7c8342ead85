"""Integrations API URLs (under /api/v1/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.WhoAmIView.as_view(), name="api-me"),
    path("webhooks/", views.SubscriptionListView.as_view(), name="api-webhooks"),
    path("webhooks/<int:pk>/", views.SubscriptionDetailView.as_view(), name="api-webhook-detail"),
    path("webhooks/<int:pk>/ping/", views.SubscriptionPingView.as_view(), name="api-webhook-ping"),
    path("webhook-deliveries/", views.DeliveryListView.as_view(), name="api-webhook-deliveries"),
    path(
        "webhook-deliveries/<int:pk>/redeliver/",
        views.DeliveryRedeliverView.as_view(),
        name="api-webhook-redeliver",
    ),
    path("deletions/", views.DeletionListView.as_view(), name="api-deletions"),
]
