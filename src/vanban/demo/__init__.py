"""The demo province: data in ``province.json``, seeded through the directory services
(so every row has its audit event). Seeding twice changes nothing."""

from vanban.demo.seed import DemoLogins, seed_demo

__all__ = ["seed_demo", "DemoLogins"]
