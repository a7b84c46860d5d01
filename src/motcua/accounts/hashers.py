from django.contrib.auth.hashers import Argon2PasswordHasher


class ModestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) rather than
    Django's 100 MiB over 8 lanes: still far beyond what a stolen hash can be guessed at, and a
    login costs tens of milliseconds instead of half a second of a commune's old server.
    Hashes made with other parameters are upgraded at the next login."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
