"""Cloud and local storage connections (Label Studio's import and export storages).

Plugins register storage kinds (:class:`~labelloom.core.specs.StorageSpec`); this package keeps
the connections in the ``storages`` table, serves Label Studio's ``/api/storages/`` API, syncs
sources into tasks (``sync``), writes annotations to targets (``targets``) and answers media
requests for storage URIs (``media``). Connector calls are blocking and run in worker threads.
"""
