"""Privacy (seed 000 §11): consents, the data export, deletion with a grace period, retention, audit my signals."""
