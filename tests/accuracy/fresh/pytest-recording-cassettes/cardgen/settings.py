import os

PICTIFY_API_KEY = os.getenv("PICTIFY_API_KEY", "pk_live_k4XygcSBuh2jv8KFc8Opp71mh8zHMflV")
DEFAULT_TEMPLATE = os.getenv("CARDGEN_TEMPLATE", "og-card")
PICTIFY_SDK_REVISION = "8f4751f25cdd464579087e614e5d8b740cef8c0b"  # pinned for the changelog link
