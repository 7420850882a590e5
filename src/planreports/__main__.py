from planreports.cli import main

main()
