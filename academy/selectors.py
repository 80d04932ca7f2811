"""Read paths for people and organisations, for every app above the floor."""
