# Copy to instance/config.py (done automatically on first start) and adjust.
SECRET_KEY = "change-me"
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://cchc:secret@127.0.0.1/cchc"
# DEMO_MODE = True            # allows `flask seed-demo`
# LOGIN_LIMIT = "5 per 15 minutes"
