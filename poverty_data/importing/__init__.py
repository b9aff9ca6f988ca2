"""The parts of the household import, in the order a file goes through them.

- ``readers``: open a .xlsx or .csv defensively and stream its rows;
- ``columns``: the documented aliases of real exports' headers; ``header``: find the header row, read rows;
- ``values``: parse cells (identity numbers, desil, flags, desa, dates);
- ``validation``: turn rows into staged households (``schema.StagedHousehold``), collect rejected rows;
- ``staging``: copy staged rows into temporary tables and apply them in a writer thread;
- ``result``, ``errors_workbook``, ``periods``: what an import reports, its rejected rows as .xlsx, period order.

The service that ties them together is ``poverty_data.services.imports.households_import``.
"""
