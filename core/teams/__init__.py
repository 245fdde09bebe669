"""Teams: organization roles and the permission matrix, project members, task assignment."""
