"""planreports: collect, check, consolidate and report on Kế hoạch 129/KH-UBND (Chỉ thị 07/CT-TTg)."""

__version__ = "0.1.0"
