from .pages import HomePage  # noqa: F401  (Wagtail finds page models in models)
