from planreports.cli import main

# Guarded: worker processes started with the "spawn" method (Windows, macOS) import this module again.
if __name__ == "__main__":
    main()
