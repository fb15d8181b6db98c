from aurules.cli import main

main()
