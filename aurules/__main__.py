from aurules.cli.main import main

main()
