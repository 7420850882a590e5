"""What became of the plan's tasks: the rules on plain data, and the history of the tasks over the periods."""
