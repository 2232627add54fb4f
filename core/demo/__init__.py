"""The synthetic demo conference: generators, vocabularies and the seeding."""
