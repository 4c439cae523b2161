"""The arrival pipeline: everything that arrives at an office (hub packages, e-mail,
scanned paper) goes through one ordered list of small steps, each doing one thing and able
to stop the arrival cleanly (:class:`StopArrival`: a duplicate, a secret document, a
refusal). Sources build an :class:`Arrival` and run their :class:`Pipeline`; the steps
live beside the knowledge they need (the connector's for edXML packages, the registry's
for incoming documents). Pure library: no Django."""

from vanban.arrival.pipeline import Arrival, Pipeline, Step, StopArrival

__all__ = ["Arrival", "Pipeline", "Step", "StopArrival"]
