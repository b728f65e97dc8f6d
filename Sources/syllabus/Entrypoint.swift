import SyllabusCommands

@main
struct Entrypoint {
    static func main() async {
        await SyllabusCLI.main()
    }
}
