"""Accreditation's pages, one module per part."""
