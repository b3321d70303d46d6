"""A fast hasher for passwords the system generates itself (high entropy, shown once).

Argon2 is slow on purpose, to protect passwords people choose. A generated one-time password has
about 115 random bits: no guessing attack is helped by a faster hash, while issuing 8,000 accounts
with Argon2 would take minutes. The owner replaces it at the first log-in, and Django re-hashes
with Argon2 (the first hasher) as soon as it is checked.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class GeneratedSecretHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_generated"
    iterations = 1_000
