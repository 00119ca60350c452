import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
django_application = get_asgi_application()

from parley.platforms.intake import HookIntake  # noqa: E402 - needs Django set up first

# Signed webhook POSTs are stored before Django's request cycle (parley/platforms/intake.py).
application = HookIntake(django_application)

from parley.server.gctune import freeze_after_startup  # noqa: E402

freeze_after_startup()  # last, so that everything loaded above is frozen
