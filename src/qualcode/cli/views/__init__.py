"""Tables, trees and panels the commands print: built here, printed by the command."""
