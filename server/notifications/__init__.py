"""Notifications: the in-app list, each person's preferences and `notify`, which other domains call."""
