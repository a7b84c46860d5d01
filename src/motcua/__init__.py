"""Một Cửa Số: online public-service portal and electronic one-stop desk."""

__version__ = "0.1.0"
