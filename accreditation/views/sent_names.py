"""Keeping the names of uploaded files as the person's computer sent them, for the upload checks
of portfolio and CPD evidence."""

import html

from django.http.multipartparser import MultiPartParser


class _NameKeepingParser(MultiPartParser):
    """Django's own parser, noting each file's name as it was sent."""

    def __init__(self, *args, sent_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_names = sent_names

    def sanitize_file_name(self, file_name):
        # Django unescapes HTML entities first too, so "..&#47;" is judged as "../".
        self.sent_names.append(html.unescape(file_name))
        return super().sanitize_file_name(file_name)


class SentNamesHandler:
    """An upload handler that parses the request itself, through Django's parser, to keep the
    names of the files as sent in `request.sent_file_names`. Django strips folders and control
    characters from a name, and drops a file whose name is nothing else; we refuse such a file
    with its name instead of keeping it under a name the person did not give it."""

    chunk_size = None

    def __init__(self, request):
        self.request = request
        self.sent_names: list[str] = []
        request.sent_file_names = self.sent_names

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [h for h in self.request.upload_handlers if h is not self]
        parser = _NameKeepingParser(META, input_data, others, encoding, sent_names=self.sent_names)
        return parser.parse()
