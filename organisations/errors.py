"""Every error the organisations app raises: one base, `OrganisationError`, whose message is for
the person who asked (views and forms show it as it is). Nothing changed when one is raised."""


class OrganisationError(Exception):
    """A rule about invitations, assignments or organisation figures refused the request."""
