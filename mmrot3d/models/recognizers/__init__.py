from .rotation_recognizer import RotationRecognizer

__all__ = ['RotationRecognizer']
