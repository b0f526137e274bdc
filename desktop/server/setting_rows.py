"""What every row of the team's settings shares (shared_settings.py, rename_respell.py)."""

SOURCE = "settings"   # the team journal's source of a settings change
TEAM = ""             # the owner of the team's items; a user's own carry their userid
