from .pages import HomePage, InformationPage  # noqa: F401  (Wagtail finds page models in models)
