"""manage.py import_assessments FILE [--dry-run] [--user USERNAME]: ONESQA's history from a shell."""

from esar.assessments.importing import import_assessments
from esar.core.import_command import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import or update ONESQA's external assessments of institutions from an .xlsx or .csv file."
    )
    importer = import_assessments
