#!/usr/bin/env python3
"""Random keys for accuracy-corpus cases (tests/accuracy, see docs/accuracy.md).

Every key in the corpus is generated here: random bodies that belong to no one.
Never paste a key found in public code; write the shape, not the key.

  python3 bench/accuracy_keys.py pictify            a pk_live_ key of Pictify's assumed shape
  python3 bench/accuracy_keys.py pictify test       a pk_test_ key
  python3 bench/accuracy_keys.py hex 64             an unprefixed 64-hex token
  python3 bench/accuracy_keys.py stripe live        a look-alike (see SHAPES for the list)
"""
import base64
import re
import secrets
import string
import sys
import uuid

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"

# Shapes studied in public code (alphabet, length, fixed parts); docs/accuracy.md lists the sources.
SHAPES = {
    "pictify": "pk_live_/pk_test_ + 32 alphanumerics (assumed: Pictify's real shape was not found in public code)",
    "hex": "N lowercase hex characters (unprefixed token), N given as the second argument",
    "b64tok": "N base64url characters (opaque token), default 43",
    "stripe": "modern Stripe key: 51 + account + random, about 107 characters",
    "stripe_old": "old Stripe key: 24 alphanumerics",
    "clerk": "Clerk: base64 of the frontend host ending in $",
    "liveblocks": "legacy Liveblocks public key: 24 characters with _ and -",
    "paystack": "Paystack: 40 lowercase hex",
    "hypertrack": "HyperTrack (legacy): 40 lowercase hex",
    "magic": "Magic: 16 upper-case hex",
    "shift4": "Shift4: 24 alphanumerics",
    "tap": "Tap Payments: 24 alphanumerics",
    "paymongo": "PayMongo: 24 alphanumerics",
    "lahza": "Lahza: 33 alphanumerics",
    "moyasar": "Moyasar: 40 alphanumerics",
    "korapay": "Korapay: 40 alphanumerics",
    "culqi": "Culqi: 16 alphanumerics",
    "pagarme": "Pagar.me: 16 alphanumerics",
    "yoco": "Yoco: 20 alphanumerics",
    "knock": "Knock: 43 characters with _ and -",
    "checkout": "Checkout.com: a UUID",
    "tabby": "Tabby: a UUID",
    "payjp": "PAY.JP: 24 lowercase hex",
    "chec": "Commerce.js (Chec): 45 lowercase hex",
    "chec_plain": "older Commerce.js keys: pk_ + digits + hex, no live/test part",
    "fincra": "Fincra: base64 of '<24 hex>::<digits>' (ends in =)",
    "openpay": "Openpay: pk_ + 32 hex, no live/test part",
    "flexpa": "Flexpa: shape not found in public code; 32 alphanumerics, Pictify-like on purpose",
    "omise": "Omise: pkey_test_ + 19 characters",
    "flw": "Flutterwave: FLWPUBK_TEST- + 32 hex + -X",
    "rebilly": "Rebilly FramePay: pk_sandbox_ + 38 alphanumerics",
    "lbdev": "current Liveblocks keys: pk_dev_ + 64 characters",
    "trunc": "a visibly truncated key: prefix + N characters + ...",
    "uuid": "a random UUID",
}


def rand(alpha, n):
    while True:
        s = "".join(secrets.choice(alpha) for _ in range(n))
        # Real keys mix letters and digits; avoid accidental runs that look like placeholders.
        if alpha in (ALNUM,) and not (re.search(r"[0-9]", s) and re.search(r"[A-Z]", s) and re.search(r"[a-z]", s)):
            continue
        if re.search(r"(.)\1\1", s):
            continue
        if alpha == HEX and not (re.search(r"[0-9]", s) and re.search(r"[a-f]", s)):
            continue
        return s


def gen(kind, env="live", arg=None):
    p = f"pk_{env}_"
    if kind == "pictify":
        return p + rand(ALNUM, 32)
    if kind == "hex":
        return rand(HEX, arg)
    if kind == "b64tok":  # base64url-ish opaque token
        return rand(ALNUM + "-_", arg or 43)
    if kind == "stripe":  # modern: 51 + account + random, ~107 chars in all
        return p + "51" + rand(ALNUM, 14) + rand(ALNUM, 73) + "00" + rand(ALNUM, 8)
    if kind == "stripe_old":
        return p + rand(ALNUM, 24)
    if kind == "clerk":
        host = arg or ("clerk." + rand(string.ascii_lowercase, 7) + ".com" if env == "live" else
                       f"{secrets.choice(['happy','brave','calm','eager','noble'])}-{secrets.choice(['otter','lynx','heron','bison','koi'])}-{secrets.randbelow(90)+10}.clerk.accounts.dev")
        return p + base64.b64encode((host + "$").encode()).decode().rstrip("=")
    if kind == "liveblocks":
        while True:
            b = rand(ALNUM + "_-", 24)
            if "_" in b or "-" in b:
                return p + b
    if kind in ("paystack", "hypertrack"):
        return p + rand(HEX, 40)
    if kind == "magic":
        return p + rand("0123456789ABCDEF", 16)
    if kind in ("shift4", "tap", "paymongo"):
        return p + rand(ALNUM, 24)
    if kind == "lahza":
        return p + rand(ALNUM, 33)
    if kind in ("moyasar", "korapay"):
        return p + rand(ALNUM, 40)
    if kind in ("culqi", "pagarme"):
        return p + rand(ALNUM, 16)
    if kind == "yoco":
        return p + rand(ALNUM, 20)
    if kind == "knock":
        while True:
            b = rand(ALNUM + "_-", 43)
            if "_" in b or "-" in b:
                return p + b
    if kind in ("checkout", "tabby"):
        return p + str(uuid.uuid4())
    if kind == "payjp":
        return p + rand(HEX, 24)
    if kind == "chec":
        return p + rand(HEX, 45)
    if kind == "fincra":
        raw = rand(HEX, 24) + "::" + str(100000 + secrets.randbelow(899999))
        return p + base64.b64encode(raw.encode()).decode()
    if kind == "openpay":
        return "pk_" + rand(HEX, 32)
    if kind == "flexpa":  # shape not found in public code: deliberately Pictify-like
        return p + rand(ALNUM, 32)
    if kind == "trunc":  # a visibly truncated key: prefix + a few random characters + "..."
        return p + rand(ALNUM, arg or 12) + "..."
    if kind == "chec_plain":  # older Chec keys: pk_ + digits + hex, no live/test part
        return "pk_" + str(10000 + secrets.randbelow(89999)) + rand(HEX, 40)
    if kind == "omise":
        return "pkey_test_" + rand(string.ascii_lowercase + string.digits, 19)
    if kind == "flw":
        return "FLWPUBK_TEST-" + rand(HEX, 32) + "-X"
    if kind == "rebilly":
        return "pk_sandbox_" + rand(ALNUM, 38)
    if kind == "lbdev":
        return "pk_dev_" + rand(ALNUM + "_-", 64)
    if kind == "uuid":
        return str(uuid.uuid4())
    raise ValueError(kind)


def main(argv):
    if not argv or argv[0] not in SHAPES:
        print(__doc__.strip(), file=sys.stderr)
        for k, v in SHAPES.items():
            print(f"  {k:12} {v}", file=sys.stderr)
        return 2
    kind, rest = argv[0], argv[1:]
    env = next((a for a in rest if a in ("live", "test")), "live")
    arg = next((int(a) for a in rest if a.isdigit()), None)
    if kind == "hex" and arg is None:
        arg = 64
    print(gen(kind, env, arg))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
