"""The site as gunicorn serves it in production, plus the benchmark's saved pages as static files.

``/bench-static/<file>`` serves the copies that ``bench/probe.py`` saved of each measured page
(from ``BENCH_STATIC_DIR``) through WhiteNoise, in the same gunicorn workers as the site: the
throughput of a page as a plain file is the ceiling the page is compared with.
"""

import os

from whitenoise import WhiteNoise

from events_site.wsgi import application as site

STATIC_PREFIX = "bench-static/"

application = WhiteNoise(site, root=os.environ["BENCH_STATIC_DIR"], prefix=STATIC_PREFIX)
