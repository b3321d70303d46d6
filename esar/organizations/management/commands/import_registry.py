"""manage.py import_registry FILE [--dry-run] [--user USERNAME]: the registry import from a shell."""

from esar.core.import_command import FileImportCommand
from esar.organizations.importing import import_registry


class Command(FileImportCommand):
    help = "Import or update LAOs and institutions from an .xlsx or .csv file."
    importer = import_registry
