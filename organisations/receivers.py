"""Listeners for the events below organisations: people joining, moving tier and leaving, and
learning being finished (wired in OrganisationsConfig.ready)."""
