"""The AWS wire: an ASGI application speaking IAM, STS, Organizations and
CloudTrail as AWS does, over any backend.

The server translates; it holds no IAM rule of its own. Per request it
verifies SigV4 (:mod:`iamsim.sigv4`), resolves the caller (:mod:`iamsim.sts`),
decodes the AWS protocol by botocore's service models, runs the registered
operation (:mod:`iamsim.services`), records the call (:mod:`iamsim.trail`) and
encodes the reply. :class:`Endpoint` does all of that without a socket;
:func:`create_app` wraps it for any ASGI server, and :func:`serve` and
:class:`BackgroundServer` run it with uvicorn.

Imports services and the layers below.
"""

from iamsim.server._asgi import Application, create_app
from iamsim.server._endpoint import Endpoint, WireRequest, WireResponse
from iamsim.server._runner import LOOPBACK, BackgroundServer, serve

__all__ = [
    "LOOPBACK",
    "Application",
    "BackgroundServer",
    "Endpoint",
    "WireRequest",
    "WireResponse",
    "create_app",
    "serve",
]
