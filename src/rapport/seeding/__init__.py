"""Demo data and the bulk seeder behind `rapport demo` and `rapport seed`.

- ``scenarios``: what customers write about and how the desk answers (en_GB templates);
- ``plans``: a case's life as a list of steps, drawn from a scenario (pure, seeded);
- ``pools``: names, companies and addresses drawn once from Faker, then reused cheaply;
- ``organisation``: the teams and staff every data set needs;
- ``demo``: a small, realistic data set written through the services;
- ``bulk``: hundreds of thousands of cases a minute, with the same events the services write.
"""
