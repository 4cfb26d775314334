"""Management announcements: audiences, scheduled publishing, must-read acknowledgements."""
