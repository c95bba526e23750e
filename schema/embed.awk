# Turns schema/NNN-name.sql files into a C array, so that adfd carries its
# migrations inside the binary. Usage: awk -f embed.awk schema/*.sql
BEGIN {
	print "/* Generated from the schema/ SQL files by schema/embed.awk: do not edit. */"
	print "#include \"schema.h\""
	print "const struct schema_file schema_files[] = {"
}
FNR == 1 {
	if (NR > 1) print "\t},"
	name = FILENAME; sub(/.*\//, "", name)
	print "\t{\"" name "\","
}
{
	line = $0
	gsub(/\\/, "\\\\", line)
	gsub(/"/, "\\\"", line)
	print "\t\t\"" line "\\n\""
}
END {
	if (NR > 0) print "\t},"
	print "};"
	print "const unsigned schema_files_len = sizeof schema_files / sizeof schema_files[0];"
}
