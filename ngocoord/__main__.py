from ngocoord.cli import main

main()
