from .base import *  # noqa

DEBUG = False
ALLOWED_HOSTS = ["cards.example.org"]
RENDER_KEY = "pk_live_0T2PwleAuI4KVZ7pfO6JnJDlnz1wQXaO"
