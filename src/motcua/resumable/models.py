import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadSession(models.Model):
    """A file arriving in pieces over an unsteady connection (tus 1.0). Its state is here and
    its pieces in the file storage, so any application process can take the next piece."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # Set once the finished file has been handed to a dossier: it cannot be used twice.
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("resumable upload")
        verbose_name_plural = _("resumable uploads")

    def __str__(self):
        return f"{self.pk} {self.offset}/{self.length}"

    @property
    def is_complete(self) -> bool:
        return self.offset == self.length


class UploadPiece(models.Model):
    """A piece that made it: written in the same transaction that moved the session's offset,
    so a piece whose request lost a race, or died half-way, is never part of the file."""

    session = models.ForeignKey(UploadSession, on_delete=models.CASCADE, related_name="pieces")
    offset = models.PositiveBigIntegerField()
    length = models.PositiveIntegerField()
    name = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "offset"],
                                               name="one_piece_per_offset")]
        ordering = ["session", "offset"]

    def __str__(self):
        return f"{self.session_id}@{self.offset}+{self.length}"
