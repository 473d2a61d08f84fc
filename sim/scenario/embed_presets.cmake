# Compiles every preset (configs/*.json but the schema) into one C table:
#   cmake -DDIR=configs -DOUT=file.c -P embed_presets.cmake
# so `provsim presets` and `provsim init --preset NAME` work wherever the
# binary is copied, and never disagree with the files.
file(GLOB files ${DIR}/*.json)
list(FILTER files EXCLUDE REGEX "\\.schema\\.json$")
list(SORT files)
set(body "")
set(table "")
set(i 0)
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "static const unsigned char preset_${i}[] = {${bytes} 0x00};\n")
  string(APPEND table "    {\"${name}\", (const char *)preset_${i}, sizeof preset_${i} - 1},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE ${OUT}.new "/* generated from the presets in configs/ by sim/scenario/embed_presets.cmake */\n"
  "#include \"scenario/presets.h\"\n"
  "${body}"
  "const struct scn_preset scn_presets[] = {\n${table}    {0, 0, 0}};\n")
file(RENAME ${OUT}.new ${OUT})
