from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-change-me"
DEBUG = False
INSTALLED_APPS = ["django.contrib.staticfiles", "greetings"]

PICTIFY_API_KEY = "pk_live_S4EV53Vi1JPKgAOvpPTUvITsn7kyRPrT"
STRIPE_PUBLISHABLE_KEY = "pk_live_51NtpZAICsd2JbzWY2g6XPd4fKsSMvIDDzxwshXqS8XCXZnz3TTQQhksKZxPlL3mafy8BWpSh3pTusmgbLewjQ0B800a6eHXiOz"
