"""The static files storage production uses: whitenoise's hashed, compressed files, forgiving
only source maps that a package names but does not ship."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Drops a `sourceMappingURL` comment whose map is missing, instead of failing collectstatic.

    Since Django 4.0 the manifest storage rewrites source-map comments to hashed names, so a
    minified file that names a map its package does not ship (wagtail-nhsuk-frontend's CSS and
    JS) stops the whole of collectstatic. A source map only helps a developer's browser tools, so
    its comment goes and the file is served as it is; a missing `url()` or `@import`, which would
    break a page, still fails collectstatic as before.
    """

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)
        if template is None or "sourceMappingURL" not in template:
            return convert

        def convert_or_drop(matchobj):
            try:
                return convert(matchobj)
            except ValueError:  # HashedFilesMixin.hashed_name: the map could not be found
                return ""

        return convert_or_drop
