"""The national hub's protocol (VDXP, :mod:`vanban.vdxp`) served by this hub, beside its own
API and on the same store, at ``VANBAN_VDXP_PREFIX`` (default ``/vdxp/``): see ``docs/vdxp.md``.

- :mod:`.systems`: system ids, their sealed secrets and bound agency codes, authentication;
- :mod:`.agencies`: the agency lists, unit sync, register and delete;
- :mod:`.documents`: send, list, fetch, acknowledge, sent list, counts, through
  :mod:`vanban.exchange.services` (the same checks and rows as ``/hub/v1/``);
- :mod:`.conformance`: the sandbox's per-request record and its report;
- :mod:`.views`: the one HTTP entry point (headers → operation → JSON envelope).
"""
