"""The candidate's voluntary self-identification form: no login, a one-time link."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/", views.self_id_form, name="self_id_form"),
]
